package io.sluice.internal.dashboard;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Tells whether a request names this machine by address or as {@code localhost}. A dashboard on
 * the loopback interface refuses any other name: a web page whose own name an attacker has
 * rebound to 127.0.0.1 (DNS rebinding) sends that name and so cannot read the queries.
 */
final class HostHeader {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private HostHeader() {}

  static boolean namesThisMachine(@Nullable String host) {
    if (host == null) {
      return false;
    }
    if (host.startsWith("[")) {
      return host.indexOf(']') > 0;
    }
    int colon = host.indexOf(':');
    String name = colon < 0 ? host : host.substring(0, colon);
    return name.toLowerCase(Locale.ROOT).equals("localhost") || IPV4.matcher(name).matches();
  }
}
