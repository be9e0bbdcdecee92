package io.recsys.app.eventfiles;

import java.io.IOException;

/** An event file that cannot be read: the message names the file, the line and the field. */
public final class EventFileException extends IOException {
  public EventFileException(String message) {
    super(message);
  }

  public EventFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
