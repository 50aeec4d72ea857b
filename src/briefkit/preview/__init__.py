"""`briefkit preview`: the brief and the deck as HTML on 127.0.0.1, rebuilt when an input changes and pushed to
the page by server-sent events.

    lock.py     one preview per fact-base folder
    session.py  the inputs, loaded once and reloaded by kind when their files change; one view per audience/as-of
    pages.py    the model as HTML for a browser: the brief (writers/html.py), the deck as slides, the page's shell
    server.py   the HTTP server (127.0.0.1 only), the event stream, the watcher and the main loop
"""
