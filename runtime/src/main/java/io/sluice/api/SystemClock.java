package io.sluice.api;

/** The wall clock; see {@link Clock#system()}. */
enum SystemClock implements Clock {
  INSTANCE;

  @Override
  public long millis() {
    return System.currentTimeMillis();
  }

  @Override
  public void waitUntil(long targetMillis) throws InterruptedException {
    long now;
    while ((now = System.currentTimeMillis()) < targetMillis) {
      Thread.sleep(targetMillis - now);
    }
  }
}
