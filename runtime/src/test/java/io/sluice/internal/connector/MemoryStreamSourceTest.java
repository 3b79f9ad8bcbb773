package io.sluice.internal.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The records a memory stream holds and how its sources learn that they grew. */
class MemoryStreamSourceTest {
  private final AppendedRecords records = new AppendedRecords();
  private final DataArrival arrival = new DataArrival();

  private Source source() {
    return new RecordListSource("test", Schema.of(), null, () -> records, arrival);
  }

  @Test
  void appendedRecordsKeepTheirOrderAcrossChunks() {
    List<Integer> first = IntStream.range(0, 5000).boxed().toList();
    List<Integer> second = IntStream.range(5000, 9000).boxed().toList();

    assertThat(records.append(first)).isEqualTo(5000);
    List<Object> before = new ArrayList<>(records);
    assertThat(records.append(second)).isEqualTo(9000);

    assertThat(before).isEqualTo(new ArrayList<>(first));
    assertThat(records).hasSize(9000);
    assertThat(records.get(4095)).isEqualTo(4095);
    assertThat(records.get(4096)).isEqualTo(4096);
    assertThat(records.get(8999)).isEqualTo(8999);
  }

  @Test
  void aSourceHearsOfNewDataUntilItStops() {
    Source source = source();
    AtomicInteger wakes = new AtomicInteger();
    source.onNewData(wakes::incrementAndGet);

    arrival.signal();
    arrival.signal();
    source.stop();
    arrival.signal();

    assertThat(wakes).hasValue(2);
  }

  @Test
  void eachSourceOfTheStreamHearsOfIt() {
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    source().onNewData(first::incrementAndGet);
    source().onNewData(second::incrementAndGet);

    arrival.signal();

    assertThat(first).hasValue(1);
    assertThat(second).hasValue(1);
  }
}
