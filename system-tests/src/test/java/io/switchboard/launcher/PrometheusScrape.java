package io.switchboard.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** One scrape of a {@code /metrics} endpoint: sample values by name and labels, as the text format gives them. */
record PrometheusScrape(Map<String, Double> samples) {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static PrometheusScrape of(String metricsUrl) throws IOException, InterruptedException {
    String text = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(), HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return new PrometheusScrape(samples);
  }

  /** The sample of this name whose labels contain every given {@code key="value"} pair; 0 when absent. */
  double value(String name, String... labels) {
    return samples.entrySet().stream()
        .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
        .filter(e -> {
          for (String label : labels) {
            if (!e.getKey().contains(label)) {
              return false;
            }
          }
          return true;
        })
        .mapToDouble(Map.Entry::getValue).sum();
  }

  /** Every metric family name exported (histogram series reduced to their family). */
  Set<String> families() {
    Set<String> names = new TreeSet<>();
    for (String key : samples.keySet()) {
      String name = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
      names.add(name);
      for (String suffix : new String[] {"_bucket", "_count", "_sum", "_max"}) {
        if (name.endsWith(suffix)) {
          names.add(name.substring(0, name.length() - suffix.length()));
        }
      }
    }
    return names;
  }
}
