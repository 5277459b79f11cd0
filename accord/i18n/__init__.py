"""Languages Accord speaks, and the catalogs that hold its words in each of them."""
