package io.recsys.app.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recsys.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of numbered model versions, one subdirectory each ({@code v1}, {@code v2}, ...)
 * holding the full checkpoint, its provenance and its evaluation report:
 *
 * <pre>
 * registry/
 *   v1/checkpoint.zip  v1/provenance.json  v1/evaluation.json
 *   v2/...
 * </pre>
 *
 * <p>A version appears whole or not at all: it is written into a hidden temporary directory and
 * renamed into place, so a crash mid-registration leaves no half version, and two processes
 * registering at once get different numbers. Versions are never rewritten.
 */
public final class ModelRegistry {
  static final String CHECKPOINT_FILE = "checkpoint.zip";
  static final String PROVENANCE_FILE = "provenance.json";
  static final String EVALUATION_FILE = "evaluation.json";
  private static final Pattern VERSION_DIR = Pattern.compile("v([1-9][0-9]{0,8})");
  private static final ObjectMapper JSON =
      Json.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path root;

  public ModelRegistry(Path root) {
    this.root = root;
  }

  /** The registry's directory. */
  public Path root() {
    return root;
  }

  /**
   * Copies {@code checkpoint} into the registry as the next version.
   *
   * @param checkpoint a full checkpoint written by {@code NextItemModel.save}
   */
  public RegisteredModel register(
      Path checkpoint, Provenance provenance, Map<String, Object> evaluation) throws IOException {
    Files.createDirectories(root);
    Path staging = Files.createTempDirectory(root, ".registering-");
    try {
      Files.copy(checkpoint, staging.resolve(CHECKPOINT_FILE));
      JSON.writeValue(staging.resolve(PROVENANCE_FILE).toFile(), provenance);
      JSON.writeValue(staging.resolve(EVALUATION_FILE).toFile(), evaluation);
      for (int attempt = 0; ; attempt++) {
        int version = latestVersion().orElse(0) + 1;
        Path target = root.resolve("v" + version);
        try {
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
          return read(version, target);
        } catch (FileSystemException e) {
          // Another registration took this number first. Linux reports rename(2)'s ENOTEMPTY as
          // a plain FileSystemException ("Directory not empty"), not a DirectoryNotEmptyException.
          if (!Files.exists(target) || attempt >= 100) {
            throw e;
          }
        }
      }
    } finally {
      deleteRecursively(staging);
    }
  }

  /** Every version, oldest first. */
  public List<RegisteredModel> list() throws IOException {
    List<RegisteredModel> models = new ArrayList<>();
    for (int version : versions()) {
      models.add(read(version, root.resolve("v" + version)));
    }
    return models;
  }

  /** One version, or empty when the registry has no such version. */
  public Optional<RegisteredModel> get(int version) throws IOException {
    Path dir = root.resolve("v" + version);
    return Files.isDirectory(dir) ? Optional.of(read(version, dir)) : Optional.empty();
  }

  /** The newest version number, or empty when the registry is empty. */
  public Optional<Integer> latestVersion() throws IOException {
    List<Integer> versions = versions();
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  /**
   * Parses a version as users write it: {@code 3} or {@code v3}.
   *
   * @throws IllegalArgumentException naming the text when it is neither
   */
  public static int parseVersion(String text) {
    String digits = text.startsWith("v") ? text.substring(1) : text;
    Matcher matcher = VERSION_DIR.matcher("v" + digits);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "model version must look like 3 or v3, got '" + text + "'");
    }
    return Integer.parseInt(matcher.group(1));
  }

  private List<Integer> versions() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(root)) {
      return entries
          .map(path -> VERSION_DIR.matcher(path.getFileName().toString()))
          .filter(Matcher::matches)
          .map(matcher -> Integer.parseInt(matcher.group(1)))
          .sorted()
          .toList();
    }
  }

  private static RegisteredModel read(int version, Path dir) throws IOException {
    Provenance provenance = JSON.readValue(dir.resolve(PROVENANCE_FILE).toFile(), Provenance.class);
    Path evaluationFile = dir.resolve(EVALUATION_FILE);
    Map<String, Object> evaluation =
        Files.exists(evaluationFile)
            ? JSON.readValue(evaluationFile.toFile(), new TypeReference<Map<String, Object>>() {})
            : Map.of();
    return new RegisteredModel(version, dir, provenance, evaluation);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(ModelRegistry::delete);
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
