package io.switchboard.common.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.ClientRequest;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The documented tables of names agree with their registries, and no merge left its markers. */
@DisplayName("The docs")
class DocsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules", ".switchboard");

  /** The first-column names of the markdown table whose header row is {@code header}. */
  static List<String> table(Path doc, String header) throws IOException {
    return column(doc, header, 0);
  }

  /** The backticked names in column {@code index} of the markdown table headed {@code header}; none for a cell without one. */
  static List<String> column(Path doc, String header, int index) throws IOException {
    List<String> lines = Files.readAllLines(doc);
    int start = lines.indexOf(header);
    assertTrue(start >= 0, doc + " has no table headed " + header);
    List<String> names = new ArrayList<>();
    for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String[] cells = lines.get(i).split("(?<!\\\\)\\|");
      assertTrue(cells.length > index + 1, doc + ":" + (i + 1) + " has no column " + index + ": " + lines.get(i));
      Matcher m = Pattern.compile("^ `([^`]+)` $").matcher(cells[index + 1]);
      if (index == 0) {
        assertTrue(m.find(), doc + ":" + (i + 1) + " does not start with a `name` cell: " + lines.get(i));
        names.add(m.group(1));
      } else if (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  @Test
  @DisplayName("hold no merge-conflict markers, nor does any other file of the tree")
  void noConflictMarkers() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT).filter(p -> !skipped(p)).filter(Files::isRegularFile)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String text = text(file);
        if (text == null) {
          continue;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          if (lines[i].startsWith("<<<<<<< ") || lines[i].startsWith(">>>>>>> ") || lines[i].equals("<<<<<<<")
              || lines[i].equals(">>>>>>>")) {
            found.add(ROOT.relativize(file) + ":" + (i + 1));
          }
        }
      }
    }
    assertEquals(List.of(), found, "conflict markers");
  }

  private static boolean skipped(Path path) {
    for (Path part : ROOT.relativize(path)) {
      if (SKIPPED_DIRS.contains(part.toString())) {
        return true;
      }
    }
    return false;
  }

  /** The file as UTF-8 text, or null for a binary file. */
  private static String text(Path file) throws IOException {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException binary) {
      return null;
    }
  }

  @Test
  @DisplayName("list every error code once: CONNECT and handshake refusals in section 2, request errors in section 3")
  void errorCodes() throws IOException {
    Path protocol = ROOT.resolve("docs/protocol.md");
    List<String> documented = new ArrayList<>(table(protocol, "| `data.code` | When |"));
    documented.addAll(column(protocol, "| HTTP status | `data.code` | When |", 1));
    documented.addAll(table(protocol, "| Code | Meaning | Retry? |"));
    assertEquals(new TreeSet<>(names(ErrorCode.values())), new TreeSet<>(documented), "docs/protocol.md against ErrorCode");
    assertEquals(documented.size(), new LinkedHashSet<>(documented).size(), "a code is documented twice: " + documented);
  }

  @Test
  @DisplayName("list every server-to-client event in section 4, and only those")
  void serverEvents() throws IOException {
    assertEquals(new TreeSet<>(ClientEvents.ALL), new TreeSet<>(table(ROOT.resolve("docs/protocol.md"), "| Event | Payload |")),
        "docs/protocol.md against ClientEvents");
  }

  @Test
  @DisplayName("list every client-to-server request in section 3, once each, and only those")
  void clientRequests() throws IOException {
    List<String> documented = table(ROOT.resolve("docs/protocol.md"), "| Event | Payload | Ack on success | Errors |");
    assertEquals(new TreeSet<>(Arrays.stream(ClientRequest.values()).map(ClientRequest::wire).toList()),
        new TreeSet<>(documented), "docs/protocol.md against ClientRequest");
    assertEquals(documented.size(), new LinkedHashSet<>(documented).size(), "a request is documented twice: " + documented);
  }

  @Test
  @DisplayName("list every event-bus address in the architecture, and only those")
  void addresses() throws Exception {
    Set<String> registry = new TreeSet<>();
    for (Field field : Addresses.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        registry.add((String) field.get(null));
      }
    }
    assertEquals(registry, new TreeSet<>(table(ROOT.resolve("docs/architecture.md"), "| Address | From → to | Kind | Body → reply |")),
        "docs/architecture.md against Addresses");
  }

  @Test
  @DisplayName("name only tests that exist as proof in docs/security.md (a class, or a class and its method)")
  void securityProofsExist() throws IOException {
    java.util.Map<String, Path> tests = new java.util.HashMap<>();
    try (Stream<Path> files = Files.walk(ROOT).filter(p -> !skipped(p))) {
      files.filter(p -> p.toString().contains("/src/test/java/") && p.toString().endsWith(".java"))
          .forEach(p -> tests.put(p.getFileName().toString().replace(".java", ""), p));
    }
    Matcher refs = Pattern.compile("`([A-Z][a-z]\\w*(?:Test|IT))(?:\\$(\\w+))?(?:\\.(\\w+))?`")
        .matcher(Files.readString(ROOT.resolve("docs/security.md")));
    List<String> missing = new ArrayList<>();
    int checked = 0;
    while (refs.find()) {
      checked++;
      Path test = tests.get(refs.group(1));
      if (test == null) {
        missing.add(refs.group());
        continue;
      }
      String source = Files.readString(test);
      if ((refs.group(2) != null && !source.contains("class " + refs.group(2)))
          || (refs.group(3) != null && !Pattern.compile("void " + refs.group(3) + "\\(").matcher(source).find())) {
        missing.add(refs.group());
      }
    }
    assertTrue(checked > 20, "the proofs were found: " + checked);
    assertEquals(List.of(), missing, "docs/security.md names tests that do not exist");
  }

  @Test
  @DisplayName("keep benchmarks.md a page a reader reads: under 250 lines, the history in its log")
  void benchmarksPageIsShort() throws IOException {
    int lines = Files.readAllLines(ROOT.resolve("docs/benchmarks.md")).size();
    assertTrue(lines < 250, "docs/benchmarks.md has " + lines + " lines: move dated runs to docs/benchmarks-log.md");
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).collect(Collectors.toList());
  }
}
