package dev.sharedstate.chapters.markdown;

/**
 * One line of a code block: its 1-based line in the Markdown file, its text (with the hidden-line
 * prefix removed), and whether it is hidden when the chapter is rendered.
 */
public record CodeLine(int line, String text, boolean hidden) {}
