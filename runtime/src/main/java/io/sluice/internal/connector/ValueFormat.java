package io.sluice.internal.connector;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How the bytes of one message spell one event, chosen by the source option {@code
 * valueFormat}: one of the three formats of the generated {@link io.sluice.api.RecordCodec}s, or
 * the whole message as the event's only component.
 */
public enum ValueFormat {
  /** One JSON object, read as the json file source reads a line; {@code toJson} writes it. */
  JSON,
  /** One CSV record of the components in order, without a header; {@code toCsv} writes it. */
  CSV,
  /** The codecs' binary layout, which {@code writeBinary} writes. */
  BINARY,
  /** UTF-8 text, the value of an event's only component, a {@code String}. */
  STRING,
  /** The bytes as they are, the value of an event's only component, a {@code byte[]}. */
  BYTES;

  private static final String CHOICES = "json, csv, binary, string or bytes";

  /** The format option {@code key} names, or null if it is not given. */
  static @Nullable ValueFormat of(Options options, String key) {
    String text = options.get(key);
    if (text == null) {
      return null;
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw options.invalid(key, text, CHOICES);
    }
  }

  /** The format option {@code key} must name; its error says what it decodes into. */
  static ValueFormat required(Options options, String key, String event) {
    ValueFormat format = of(options, key);
    if (format == null) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, options.owner() + " needs option '"
          + key + "' to read records of " + event + ": " + CHOICES);
    }
    return format;
  }

  /** The one column type a whole-message format fills; null for the formats with fields. */
  @Nullable DataType wholeValueType() {
    return this == STRING ? DataType.STRING : this == BYTES ? DataType.BINARY : null;
  }

  /** As the option spells it. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
