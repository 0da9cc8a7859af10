"""Understanding a message, in the stages Rasa's NLU uses, one module each.

`segments` splits a long message into the parts worth scoring, `features` turns text into
lexical (and, through `encoder`, optional sentence-embedding) features, `model` is the trained
classifier with calibrated probabilities, and `policy` decides: answer, ask back, or admit not
knowing. `examples` gathers what the classifier learns from the content.
"""
