package io.sluice.internal.codegen;

/**
 * Where a generated stage class lives and what it says it was generated from: a package, a simple
 * class name such as {@code PageViews_Stage1}, and an origin for the header comment.
 */
public record StageName(String packageName, String simpleName, String origin) {
  public StageName {
    simpleName = LocalNames.sanitizeClassName(simpleName);
    origin = LocalNames.safeText(origin);
  }

  public String qualifiedName() {
    return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
  }
}
