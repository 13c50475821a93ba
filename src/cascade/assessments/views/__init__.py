"""The assessments' pages: authoring the framework, banks, items and exams."""
