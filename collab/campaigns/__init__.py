"""Campaign grouping: copies of one text (exact, and near with MinHash LSH) found among a
document's comments. `text` turns a comment into what is compared; `index` keeps, per
process, the comments others may join; the grouping itself is a service (services/campaigns)."""
