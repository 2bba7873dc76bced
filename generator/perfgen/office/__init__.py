"""LibreOffice and poppler, for what Word would do on opening: page numbers, PDF, previews."""
