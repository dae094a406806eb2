"""Home, topics, help and the pages that explain Kettle."""
