package io.recsys.schemas;

/** An input record that cannot become a {@link UserEvent}; the message names field and value. */
public final class InvalidEventException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidEventException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
  }

  /** The offending field: a JSON field name, {@code key} for the record key, {@code $} for all. */
  public String field() {
    return field;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    // Rejections are data, not bugs: the stack trace would cost more than the parse.
    return this;
  }
}
