package io.sluice.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.sluice.processor.Fixtures.DEVICES;
import static io.sluice.processor.Fixtures.PACKET;
import static io.sluice.processor.Fixtures.READING;
import static io.sluice.processor.Fixtures.compile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.testing.compile.Compilation;
import io.sluice.api.ErrorKind;
import io.sluice.api.RecordCodec;
import io.sluice.api.SluiceException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.codehaus.janino.SimpleCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The codecs the processor generates for {@code @Event} types, run: the fixture {@code Reading}
 * (a component of every supported type) round-trips through binary, JSON and CSV, and malformed
 * input names the field. Every check runs on the codec javac compiled at build time and on the
 * same source compiled by Janino.
 */
class GeneratedCodecTest {
  private static final String CODEC = ".*_Codec";
  private static final Instant AT = Instant.parse("2024-02-29T23:59:59.123Z");

  private static ClassLoader javacClasses;
  /** The fixture's event classes without javac's codecs: the parent of Janino's codecs. */
  private static ClassLoader eventClasses;
  /** Codec classes Janino compiled, by name. */
  private static final Map<String, Class<?>> janinoCodecs = new HashMap<>();

  @BeforeAll
  static void compileFixtures() throws Exception {
    Compilation compilation = compile(READING, DEVICES, PACKET);
    assertThat(compilation).succeededWithoutWarnings();
    javacClasses = new CompiledClasses(compilation);
    eventClasses = new CompiledClasses(compilation, name -> !name.matches(CODEC));
    Map<String, String> sources = Goldens.generatedSources(compilation);
    sources.keySet().removeIf(path -> !path.matches(CODEC + "\\.java"));
    assertThat(sources).containsOnlyKeys("shop/Reading_Codec.java",
        "shop/Devices_Heartbeat_Codec.java", "shop/Packet_Codec.java");
    for (Map.Entry<String, String> source : sources.entrySet()) {
      String className = source.getKey().replace(".java", "").replace('/', '.');
      SimpleCompiler janino = new SimpleCompiler();
      janino.setTargetVersion(8);
      janino.setParentClassLoader(eventClasses);
      janino.cook(source.getKey(), source.getValue());
      Class<?> codec = janino.getClassLoader().loadClass(className);
      assertThat(codec.getClassLoader()).isNotSameAs(eventClasses);
      janinoCodecs.put(className, codec);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"javac", "janino"})
  void everyFormatRoundTripsEdgeValues(String compiler) throws Exception {
    RecordCodec<Object> codec = codec(compiler, "shop.Reading");
    for (Object record : List.of(
        reading(compiler, -1L, -2, Double.NaN, true, -3L, -4, Double.NEGATIVE_INFINITY, false,
            "Grad °C — ✓ 🌡 \"quoted\", with comma\nand line", AT),
        reading(compiler, Long.MIN_VALUE, Integer.MIN_VALUE, -0.5, false, Long.MAX_VALUE,
            Integer.MAX_VALUE, Double.POSITIVE_INFINITY, true, "", Instant.EPOCH.minusMillis(1)),
        reading(compiler, 0L, 0, 1e300, false, null, null, null, null, null, null),
        reading(compiler, 7L, 7, 7.25, true, null, null, Double.NaN, null, " padded ", null))) {
      assertThat(codec.readBinary(new DataInputStream(new ByteArrayInputStream(
          binary(codec, record))))).as("binary").isEqualTo(record);
      assertThat(codec.fromJson(codec.toJson(record))).as("JSON").isEqualTo(record);
      assertThat(codec.fromCsv(codec.toCsv(record))).as("CSV").isEqualTo(record);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"javac", "janino"})
  void binaryLayoutIsCompactAndStringsAreNotLimitedTo64Kb(String compiler) throws Exception {
    RecordCodec<Object> codec = codec(compiler, "shop.Reading");
    // 8 + 4 + 8 + 1 for the primitives, one presence byte for each of the six nullables.
    Object small = reading(compiler, 1L, 2, 3.0, true, null, null, null, null, null, null);
    assertThat(binary(codec, small)).hasSize(27);
    Object big =
        reading(compiler, 1L, 2, 3.0, true, null, null, null, null, "é".repeat(70_000), AT);
    assertThat(codec.readBinary(new DataInputStream(new ByteArrayInputStream(
        binary(codec, big))))).isEqualTo(big);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"javac", "janino"})
  void jsonIsOneObjectNamedByComponents(String compiler) throws Exception {
    RecordCodec<Object> codec = codec(compiler, "shop.Reading");
    Object record = reading(compiler, -1L, 2, Double.NaN, true, null, -3, 0.5, null, "a\"b", AT);
    assertThat(codec.toJson(record)).isEqualTo(
        "{\"id\":-1,\"channel\":2,\"value\":\"NaN\",\"valid\":true,\"batch\":null,"
            + "\"sensor\":-3,\"calibrated\":0.5,\"checked\":null,\"unit\":\"a\\\"b\","
            + "\"at\":\"2024-02-29T23:59:59.123Z\"}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"javac", "janino"})
  void jsonFieldsInAnyOrderUnknownIgnoredMissingNullableIsNull(String compiler) throws Exception {
    RecordCodec<Object> codec = codec(compiler, "shop.Reading");
    Object read = codec.fromJson("{\"at\": 1709251199123, \"extra\": {\"nested\": [1, 2]},"
        + " \"valid\": false, \"value\": \"-Infinity\", \"channel\": 5, \"id\": 9,"
        + " \"unit\": null}");
    assertThat(read).isEqualTo(reading(compiler, 9L, 5, Double.NEGATIVE_INFINITY, false, null,
        null, null, null, null, AT));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"javac", "janino"})
  void malformedJsonNamesTheField(String compiler) throws Exception {
    RecordCodec<Object> codec = codec(compiler, "shop.Reading");
    String valid = "\"channel\":1,\"value\":1.5,\"valid\":true";
    assertMalformed(() -> codec.fromJson("{\"id\":\"7\"," + valid + "}"),
        "[Sluice/MalformedRecord] malformed JSON: field 'id' expects BIGINT but found a string");
    assertMalformed(() -> codec.fromJson("{" + valid + "}"),
        "malformed JSON: field 'id' (BIGINT NOT NULL) is missing or null");
    assertMalformed(() -> codec.fromJson("{\"id\":null," + valid + "}"),
        "field 'id' (BIGINT NOT NULL) is missing or null");
    assertMalformed(() -> codec.fromJson("{\"id\":1," + valid + ",\"sensor\":3000000000}"),
        "field 'sensor' value 3000000000 is out of range for INT");
    assertMalformed(() -> codec.fromJson("{\"id\":1," + valid + ",\"checked\":\"yes\"}"),
        "field 'checked' expects BOOLEAN but found a string");
    assertMalformed(() -> codec.fromJson("{\"id\":1," + valid + ",\"at\":\"yesterday\"}"),
        "field 'at' expects TIMESTAMP but found 'yesterday'");
    assertMalformed(() -> codec.fromJson("{\"id\":1," + valid + ",\"unit\":5}"),
        "field 'unit' expects STRING but found an integer");
    assertMalformed(() -> codec.fromJson("[1]"),
        "malformed JSON: expected a JSON object but found an array");
    assertMalformed(() -> codec.fromJson("{\"id\":1,"), "malformed JSON: ");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"javac", "janino"})
  void csvTellsNullFromTheEmptyString(String compiler) throws Exception {
    RecordCodec<Object> codec = codec(compiler, "shop.Reading");
    Object withNulls = reading(compiler, -1L, 2, -0.0, false, null, null, null, null, null, null);
    Object withEmpty = reading(compiler, -1L, 2, -0.0, false, null, null, null, null, "", null);
    assertThat(codec.toCsv(withNulls)).isEqualTo("-1,2,-0.0,false,,,,,,");
    assertThat(codec.toCsv(withEmpty)).isEqualTo("-1,2,-0.0,false,,,,,\"\",");
    assertThat(codec.fromCsv("-1,2,-0.0,false,,,,,,")).isEqualTo(withNulls);
    assertThat(codec.fromCsv("-1,2,-0.0,false,,,,,\"\",")).isEqualTo(withEmpty);
    Object quoted = reading(compiler, 1L, 2, Double.NaN, true, 3L, 4, 5.5, true, "a,\"b\"", AT);
    assertThat(codec.toCsv(quoted))
        .isEqualTo("1,2,NaN,true,3,4,5.5,true,\"a,\"\"b\"\"\",2024-02-29T23:59:59.123Z");
    assertThat(codec.fromCsv("1,2,3,TRUE,,,,,x,1709251199123"))
        .isEqualTo(reading(compiler, 1L, 2, 3.0, true, null, null, null, null, "x", AT));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"javac", "janino"})
  void malformedCsvNamesTheField(String compiler) throws Exception {
    RecordCodec<Object> codec = codec(compiler, "shop.Reading");
    assertMalformed(() -> codec.fromCsv(",2,3.0,true,,,,,,"),
        "[Sluice/MalformedRecord] malformed CSV: field 'id' (BIGINT NOT NULL) is empty");
    assertMalformed(() -> codec.fromCsv("1,two,3.0,true,,,,,,"),
        "malformed CSV: field 'channel' expects INT but found 'two'");
    assertMalformed(() -> codec.fromCsv("1,2,3.0d,true,,,,,,"),
        "field 'value' expects DOUBLE but found '3.0d'");
    assertMalformed(() -> codec.fromCsv("1,2,3.0,yes,,,,,,"),
        "field 'valid' expects BOOLEAN but found 'yes'");
    assertMalformed(() -> codec.fromCsv("1,2,3.0,true,99999999999999999999,,,,,"),
        "field 'batch' value 99999999999999999999 is out of range for BIGINT");
    assertMalformed(() -> codec.fromCsv("1,2,3.0,true"),
        "malformed CSV: expected 10 fields but found 4");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"javac", "janino"})
  void nestedEventTypeHasItsCodecToo(String compiler) throws Exception {
    RecordCodec<Object> codec = codec(compiler, "shop.Devices$Heartbeat");
    Object beat = construct("shop.Devices$Heartbeat", compiler, "ü", -5L);
    assertThat(codec.fromJson(codec.toJson(beat))).isEqualTo(beat);
    assertThat(codec.toCsv(beat)).isEqualTo("ü,-5");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"javac", "janino"})
  void bytesAreACountAndTheBytesInBinaryAndBase64InJson(String compiler) throws Exception {
    RecordCodec<Object> codec = codec(compiler, "shop.Packet");
    Object packet = construct("shop.Packet", compiler, "t", new byte[] {0, (byte) 0xff});
    Object empty = construct("shop.Packet", compiler, null, null);

    assertThat(binary(codec, packet)).containsExactly(1, 0, 0, 0, 1, 't', 1, 0, 0, 0, 2, 0, 0xff);
    assertThat(binary(codec, empty)).containsExactly(0, 0);
    assertThat(payload(codec.readBinary(new DataInputStream(new ByteArrayInputStream(
        binary(codec, packet)))))).containsExactly(0, 0xff);
    assertThat(codec.toJson(packet)).isEqualTo("{\"topic\":\"t\",\"payload\":\"AP8=\"}");
    assertThat(payload(codec.fromJson("{\"payload\":\"AP8=\"}"))).containsExactly(0, 0xff);
    assertThat(codec.toJson(empty)).isEqualTo("{\"topic\":null,\"payload\":null}");
    assertThat(payload(codec.fromJson("{\"payload\":null}"))).isNull();
    assertMalformed(() -> codec.fromJson("{\"payload\":\"not base64!\"}"),
        "field 'payload' expects BINARY but found 'not base64!' (expected Base64)");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"javac", "janino"})
  void aTypeWithBytesHasNoCsvFormAsSparkHasNoBinaryInCsv(String compiler) throws Exception {
    RecordCodec<Object> codec = codec(compiler, "shop.Packet");
    Object packet = construct("shop.Packet", compiler, "t", new byte[] {1});
    String refused = "[Sluice/UnsupportedOperation] column 'payload' is BINARY, which CSV cannot"
        + " hold (Spark's CSV format refuses it too); use JSON, where a BINARY is a Base64 string";

    assertThatThrownBy(() -> codec.toCsv(packet)).isInstanceOf(SluiceException.class)
        .hasMessage(refused);
    assertThatThrownBy(() -> codec.fromCsv("t,AQ==")).isInstanceOf(SluiceException.class)
        .hasMessage(refused);
  }

  /** The payload of a {@code shop.Packet}, read through its accessor. */
  private static byte[] payload(Object packet) throws Exception {
    return (byte[]) packet.getClass().getMethod("payload").invoke(packet);
  }

  @Test
  void forTypeFindsTheCodecOfANestedTypeByTheMetamodelsNaming() throws Exception {
    Class<?> heartbeat = javacClasses.loadClass("shop.Devices$Heartbeat");
    assertThat(RecordCodec.forType(heartbeat).getClass().getName())
        .isEqualTo("shop.Devices_Heartbeat_Codec");
  }

  @Test
  void forTypeWithoutAGeneratedCodecSaysWhatToDo() {
    assertThatThrownBy(() -> RecordCodec.forType(Instant.class))
        .isInstanceOfSatisfying(SluiceException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_EVENT_TYPE))
        .hasMessage("[Sluice/InvalidEventType] no generated codec for java.time.Instant: annotate"
            + " it with @Event and run the Sluice annotation processor");
  }

  /** The codec of {@code type} javac or Janino compiled, the event type being javac's. */
  @SuppressWarnings("unchecked")
  private static RecordCodec<Object> codec(String compiler, String type) throws Exception {
    if (compiler.equals("javac")) {
      return (RecordCodec<Object>) RecordCodec.forType(javacClasses.loadClass(type));
    }
    Class<?> codec = janinoCodecs.get(type.replace('$', '_') + "_Codec");
    return (RecordCodec<Object>) codec.getConstructor().newInstance();
  }

  private static Object reading(String compiler, Object... components) throws Exception {
    return construct("shop.Reading", compiler, components);
  }

  /** A record of {@code type} as the codecs of {@code compiler} see it (their loaders differ). */
  private static Object construct(String type, String compiler, Object... components)
      throws Exception {
    ClassLoader loader = compiler.equals("javac") ? javacClasses : eventClasses;
    Class<?> record = loader.loadClass(type);
    Class<?>[] types = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getType)
        .toArray(Class<?>[]::new);
    Constructor<?> constructor = record.getConstructor(types);
    return constructor.newInstance(components);
  }

  private static byte[] binary(RecordCodec<Object> codec, Object record) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    codec.writeBinary(record, new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  private static void assertMalformed(Runnable read, String message) {
    assertThatThrownBy(read::run)
        .isInstanceOfSatisfying(SluiceException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RECORD))
        .hasMessageContaining(message);
  }
}
