"""The reviewer's wing: the page of a review link, its forms, and its page cache."""
