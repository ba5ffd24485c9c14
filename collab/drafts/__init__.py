"""Working with draft text: word-level diffs, re-anchoring quotes in new text,
and getting a draft in (pasted text, Markdown, Word) and out (Markdown, Word).

Pure functions on text and bytes; the services decide what is stored."""
