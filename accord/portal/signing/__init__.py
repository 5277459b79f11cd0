"""The signatory's wing: the final text, signing or declining, and the page after."""
