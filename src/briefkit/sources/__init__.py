"""Source texts kept with the fact base: their paragraphs (text.py), the locator grammar (locators.py), figures in
digits or words (figures.py), checking facts against them (verify.py), importing files (add.py), and what the
`source` commands print (show.py)."""
