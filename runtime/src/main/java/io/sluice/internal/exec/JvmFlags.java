package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks at engine start that the JVM was given the module flags Chronicle Map needs on Java 17+,
 * so that a missing flag is one clear error instead of an obscure failure at the first state write.
 */
public final class JvmFlags {
  /** The flags, as they go on the {@code java} command line. */
  public static final List<String> REQUIRED = List.of(
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED");

  private JvmFlags() {}

  public static void check() {
    List<String> missing = missing();
    if (!missing.isEmpty()) {
      throw new SluiceException(ErrorKind.MISSING_JVM_FLAGS,
          "the JVM lacks flags that off-heap state (Chronicle Map) needs: " + String.join(" ",
              missing) + "; start java with all of: " + String.join(" ", REQUIRED));
    }
    // Chronicle would otherwise send usage analytics and print adverts; Sluice does neither.
    System.setProperty("chronicle.analytics.disable", "true");
    System.setProperty("chronicle.announcer.disable", "true");
  }

  static List<String> missing() {
    Module unnamed = JvmFlags.class.getClassLoader().getUnnamedModule();
    List<String> missing = new ArrayList<>();
    for (String flag : REQUIRED) {
      String[] parts = flag.substring(flag.indexOf('=') + 1).split("[/=]");
      Optional<Module> module = ModuleLayer.boot().findModule(parts[0]);
      boolean opens = flag.startsWith("--add-opens");
      boolean granted = module.isPresent() && (opens
          ? module.get().isOpen(parts[1], unnamed)
          : module.get().isExported(parts[1], unnamed));
      if (!granted) {
        missing.add(flag);
      }
    }
    return missing;
  }
}
