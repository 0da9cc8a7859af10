"""Prevention tools: the job-offer check and weekly awareness tips."""
