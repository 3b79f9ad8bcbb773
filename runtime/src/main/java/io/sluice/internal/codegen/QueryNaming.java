package io.sluice.internal.codegen;

import com.palantir.javapoet.ClassName;

/**
 * How a query's generated classes are named: {@code io.sluice.generated.PageViews_Stage1} for a
 * query built at run time, {@code com.example.PageViews_Stage1} for a {@code @StreamQuery} class
 * {@code com.example.PageViews}, whose stages the annotation processor compiled at build time.
 */
public record QueryNaming(String packageName, String prefix, String origin) {
  /** The package of stages generated for queries built at run time. */
  public static final String RUNTIME_PACKAGE = "io.sluice.generated";

  /** Naming for a query built with the fluent API, from its name (e.g. {@code page-views}). */
  public static QueryNaming forQueryName(String queryName) {
    return new QueryNaming(RUNTIME_PACKAGE, camelCase(queryName), "query '" + queryName + "'");
  }

  /** Naming for a {@code @StreamQuery} class: its package, and its simple names joined. */
  public static QueryNaming forQueryClass(ClassName queryClass) {
    return new QueryNaming(queryClass.packageName(), String.join("_", queryClass.simpleNames()),
        "query class " + queryClass.canonicalName());
  }

  /** The name of stage {@code n}; {@code what} is appended to the origin, e.g. its role. */
  public StageName stage(int n, String what) {
    return new StageName(packageName, prefix + "_Stage" + n, origin + ", stage " + n + what);
  }

  /** {@code PageViews} from {@code page-views}; {@code Query} if nothing usable is left. */
  static String camelCase(String name) {
    StringBuilder out = new StringBuilder();
    boolean upper = true;
    for (char c : name.toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      } else {
        upper = true;
      }
    }
    if (out.length() == 0 || Character.isDigit(out.charAt(0))) {
      out.insert(0, "Query");
    }
    return out.toString();
  }
}
