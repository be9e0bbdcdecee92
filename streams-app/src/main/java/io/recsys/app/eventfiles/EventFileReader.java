package io.recsys.app.eventfiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an event file into events sorted by time (ties in file order): CSV ({@code .csv}), TSV
 * ({@code .tsv}) or JSON lines ({@code .jsonl}, {@code .ndjson}, {@code .json}; other names are
 * recognised by their first line). A CSV or TSV file has a header unless the mapping names columns
 * by number (1 is the first). Blank lines are skipped; any other line that cannot be read stops the
 * read with an {@link EventFileException} naming the file, the line and the field.
 */
public final class EventFileReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

  private EventFileReader() {}

  /** The file's layout. */
  enum Format {
    CSV,
    TSV,
    JSON_LINES
  }

  /**
   * @param mapping the columns, or empty to recognise them from the header (or the first JSON
   *     object's fields)
   */
  public static List<FileEvent> read(Path file, Optional<ColumnMapping> mapping)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new EventFileException(file + ": no such file");
    }
    List<FileEvent> events =
        switch (format(file)) {
          case JSON_LINES -> readJsonLines(file, mapping);
          case CSV -> readDelimited(file, ',', mapping);
          case TSV -> readDelimited(file, '\t', mapping);
        };
    // List.sort is stable: events with one time keep their file order.
    events.sort(Comparator.comparingLong(FileEvent::timestampMs));
    return events;
  }

  static Format format(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return Format.JSON_LINES;
    }
    if (name.endsWith(".tsv") || name.endsWith(".tab")) {
      return Format.TSV;
    }
    if (name.endsWith(".csv")) {
      return Format.CSV;
    }
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null && line.isBlank()) {
        // Skip leading blank lines.
      }
      if (line == null || line.strip().startsWith("{")) {
        return Format.JSON_LINES;
      }
      return line.indexOf('\t') >= 0 ? Format.TSV : Format.CSV;
    }
  }

  private static List<FileEvent> readDelimited(
      Path file, char separator, Optional<ColumnMapping> given) throws IOException {
    boolean headerless = given.map(EventFileReader::byNumber).orElse(false);
    List<FileEvent> events = new ArrayList<>();
    CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(separator);
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        MappingIterator<String[]> rows =
            CSV.readerFor(String[].class).with(schema).readValues(reader)) {
      Columns columns = null;
      if (headerless) {
        columns = Columns.byNumber(file, given.get());
      }
      while (rows.hasNextValue()) {
        String[] row = rows.nextValue();
        long line = rows.getParser().currentTokenLocation().getLineNr();
        if (row.length == 0 || row.length == 1 && row[0].isBlank()) {
          continue;
        }
        if (columns == null) {
          List<String> header = Arrays.asList(row);
          ColumnMapping mapping;
          try {
            mapping = given.orElseGet(() -> ColumnMapping.detect(header));
          } catch (IllegalArgumentException e) {
            throw new EventFileException(file + ":" + line + ": " + e.getMessage());
          }
          columns = Columns.byName(file, line, header, mapping);
          continue;
        }
        events.add(columns.event(row, line));
      }
    } catch (EventFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new EventFileException(
          file + ": not readable as " + (separator == ',' ? "CSV" : "TSV") + ": " + e.getMessage(),
          e);
    }
    return events;
  }

  private static boolean byNumber(ColumnMapping mapping) {
    return mapping.user().chars().allMatch(Character::isDigit);
  }

  private static List<FileEvent> readJsonLines(Path file, Optional<ColumnMapping> given)
      throws IOException {
    List<FileEvent> events = new ArrayList<>();
    ColumnMapping mapping = given.orElse(null);
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      long line = 0;
      while ((text = reader.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
          throw new EventFileException(
              file + ":" + line + ": not a JSON object: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
          throw new EventFileException(file + ":" + line + ": not a JSON object");
        }
        if (mapping == null) {
          List<String> fields = new ArrayList<>();
          node.fieldNames().forEachRemaining(fields::add);
          try {
            mapping = ColumnMapping.detect(fields);
          } catch (IllegalArgumentException e) {
            throw new EventFileException(file + ":" + line + ": " + e.getMessage());
          }
        }
        events.add(
            Columns.event(
                file,
                line,
                field(node, mapping.user()),
                field(node, mapping.item()),
                field(node, mapping.time()),
                mapping.type().map(t -> field(node, t)).orElse(null),
                mapping.value().map(v -> field(node, v)).orElse(null),
                mapping));
      }
    }
    return events;
  }

  private static String field(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** Where each role's value is in a row. */
  private record Columns(
      Path file, int user, int item, int time, int type, int value, ColumnMapping mapping) {

    static Columns byName(Path file, long line, List<String> header, ColumnMapping mapping)
        throws EventFileException {
      return new Columns(
          file,
          index(file, line, header, mapping.user(), "user"),
          index(file, line, header, mapping.item(), "item"),
          index(file, line, header, mapping.time(), "time"),
          mapping.type().isPresent() ? index(file, line, header, mapping.type().get(), "type") : -1,
          mapping.value().isPresent()
              ? index(file, line, header, mapping.value().get(), "value")
              : -1,
          mapping);
    }

    static Columns byNumber(Path file, ColumnMapping mapping) throws EventFileException {
      try {
        return new Columns(
            file,
            Integer.parseInt(mapping.user()) - 1,
            Integer.parseInt(mapping.item()) - 1,
            Integer.parseInt(mapping.time()) - 1,
            mapping.type().map(t -> Integer.parseInt(t) - 1).orElse(-1),
            mapping.value().map(v -> Integer.parseInt(v) - 1).orElse(-1),
            mapping);
      } catch (NumberFormatException e) {
        throw new EventFileException(
            file + ": a mapping by column number must number every column it names: " + mapping);
      }
    }

    private static int index(Path file, long line, List<String> header, String name, String role)
        throws EventFileException {
      for (int i = 0; i < header.size(); i++) {
        if (header.get(i).strip().equalsIgnoreCase(name)) {
          return i;
        }
      }
      throw new EventFileException(
          file + ":" + line + ": no column '" + name + "' (the " + role + ") in " + header);
    }

    FileEvent event(String[] row, long line) throws EventFileException {
      return event(
          file,
          line,
          at(row, user),
          at(row, item),
          at(row, time),
          type < 0 ? null : at(row, type),
          value < 0 ? null : at(row, value),
          mapping);
    }

    private static String at(String[] row, int index) {
      return index < row.length ? row[index] : null;
    }

    static FileEvent event(
        Path file,
        long line,
        String user,
        String item,
        String time,
        String type,
        String value,
        ColumnMapping mapping)
        throws EventFileException {
      String where = file + ":" + line + ": ";
      if (user == null || user.isBlank()) {
        throw new EventFileException(where + "no user (column '" + mapping.user() + "')");
      }
      if (item == null || item.isBlank()) {
        throw new EventFileException(where + "no item (column '" + mapping.item() + "')");
      }
      if (time == null) {
        throw new EventFileException(where + "no time (column '" + mapping.time() + "')");
      }
      long timestamp;
      try {
        timestamp = EventTimes.toEpochMillis(time);
      } catch (IllegalArgumentException e) {
        throw new EventFileException(
            where + "time (column '" + mapping.time() + "'): " + e.getMessage());
      }
      Double number = null;
      if (value != null && !value.isBlank()) {
        try {
          number = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
          // Reported below with the infinite and NaN values.
        }
        if (number == null || !Double.isFinite(number)) {
          throw new EventFileException(
              where
                  + "value (column '"
                  + mapping.value().orElse("")
                  + "'): '"
                  + value
                  + "' is not a "
                  + (number == null ? "number" : "finite number"));
        }
      }
      String eventType =
          type != null && !type.isBlank() ? type.strip() : number != null ? "rating" : "view";
      return new FileEvent(user.strip(), item.strip(), eventType, number, timestamp, line);
    }
  }
}
