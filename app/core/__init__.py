"""The toolkit: text, refusals, forms, tokens, time and URLs. It imports no Kettle package."""
