package io.parley.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The durable running total. */
@Timeout(60)
class RunningTotalTest {
    @TempDir
    Path dir;

    @Test
    void startsAtZeroAndKeepsWhatWasAddedAcrossReopening() throws Exception {
        try (RunningTotal total = RunningTotal.open(dir.resolve("new"))) {
            assertThat(total.current()).isZero();
            assertThat(total.add(5)).isEqualTo(5);
            assertThat(total.add(0)).isEqualTo(5);
            assertThat(total.add(7)).isEqualTo(12);
        }
        assertThat(Files.readString(dir.resolve("new/running-total"))).isEqualTo("12\n");
        try (RunningTotal total = RunningTotal.open(dir.resolve("new"))) {
            assertThat(total.current()).isEqualTo(12);
        }
    }

    @Test
    void concurrentAddsLoseNothing() throws Exception {
        try (RunningTotal total = RunningTotal.open(dir);
             ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<Long>> adds = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                long amount = i;
                adds.add(threads.submit(() -> total.add(amount)));
            }
            List<Long> told = new ArrayList<>();
            for (Future<Long> add : adds) {
                told.add(add.get());
            }
            assertThat(total.current()).isEqualTo(200 * 201 / 2);
            assertThat(told).doesNotHaveDuplicates().allMatch(t -> t <= 200 * 201 / 2);
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() throws Exception {
        try (RunningTotal first = RunningTotal.open(dir)) {
            assertThatThrownBy(() -> RunningTotal.open(dir)).isInstanceOf(IOException.class)
                    .hasMessageContaining("already open");
            assertThat(first.current()).isZero();
        }
    }

    @Test
    void aCorruptTotalIsAnErrorNotZero() throws Exception {
        Files.writeString(dir.resolve("running-total"), "12x\n");
        assertThatThrownBy(() -> RunningTotal.open(dir)).hasMessageContaining("is corrupt");
        Files.writeString(dir.resolve("running-total"), "12");
        assertThatThrownBy(() -> RunningTotal.open(dir)).hasMessageContaining("is corrupt");
    }

    @Test
    void aLeftoverTemporaryFileFromACrashIsIgnored() throws Exception {
        Files.writeString(dir.resolve("running-total"), "9\n");
        Files.writeString(dir.resolve("running-total.tmp"), "1");
        try (RunningTotal total = RunningTotal.open(dir)) {
            assertThat(total.current()).isEqualTo(9);
            assertThat(total.add(1)).isEqualTo(10);
        }
    }
}
