"""Facts read from the text: numbers, durations, insertion hours, criteria, amounts, dates."""
