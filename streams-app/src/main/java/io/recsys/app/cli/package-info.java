/**
 * {@code bin/recsys}: one picocli command per subcommand, parsing flags and files and printing
 * summaries. The top of the layering: imports anything, imported by nothing.
 */
package io.recsys.app.cli;
