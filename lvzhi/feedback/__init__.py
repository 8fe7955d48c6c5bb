"""意见反馈 (S0-30, S3-14): every page offers feedback, signed in or not; the information office triages it,
answers within a working-day limit and tracks it to the change it led to; it sees the log and response times."""
