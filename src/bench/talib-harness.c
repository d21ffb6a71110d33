/*
 * Times TA-Lib's own C functions for `ita bench --only indicators` (src/bench/talib-c.ts compiles and links this
 * against a TA-Lib build; nothing here computes an indicator). Input: a file of n doubles each for high, low, close,
 * written by the bench, so TA-Lib sees exactly ITA's candles. Each call allocates its outputs, as a caller of the
 * library does (and as ITA's batch functions do), and the time includes that allocation.
 *
 * Usage: talib-harness FILE N ROUNDS   → one line per round: "sma:30 <wall ms> <cpu ms> ema:21 ... checksum <sum>"
 * (CPU time too: on a machine shared with other work, wall time mostly measures waiting for a core.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "ta_libc.h"

typedef struct {
  double wall, cpu;
} Stamp;

static double clock_ms(clockid_t id) {
  struct timespec t;
  clock_gettime(id, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static Stamp now(void) {
  Stamp s = {clock_ms(CLOCK_MONOTONIC), clock_ms(CLOCK_PROCESS_CPUTIME_ID)};
  return s;
}

static Stamp since(Stamp start) {
  Stamp end = now();
  Stamp d = {end.wall - start.wall, end.cpu - start.cpu};
  return d;
}

static double *column(int n) {
  double *p = malloc(sizeof(double) * (size_t)n);
  if (!p) {
    fprintf(stderr, "talib-harness: out of memory for %d doubles\n", n);
    exit(2);
  }
  return p;
}

/* Sums the valid outputs so the compiler cannot drop a call, and so the bench can see TA-Lib ran on its data. */
static double total(const double *out, int count) {
  double s = 0;
  for (int i = 0; i < count; i++) s += out[i];
  return s;
}

static void check(TA_RetCode rc, const char *name) {
  if (rc != TA_SUCCESS) {
    fprintf(stderr, "talib-harness: %s returned TA-Lib error %d\n", name, (int)rc);
    exit(3);
  }
}

/* TA_SMA, TA_EMA and TA_RSI share one signature: one close series and a period in, one series out. */
typedef TA_RetCode (*SingleOutput)(int, int, const double *, int, int *, int *, double *);

static Stamp single(SingleOutput fn, const char *name, const double *in, int n, int period, double *checksum) {
  int beg, count;
  Stamp t = now();
  double *out = column(n);
  check(fn(0, n - 1, in, period, &beg, &count, out), name);
  Stamp elapsed = since(t);
  *checksum += total(out, count);
  free(out);
  return elapsed;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: talib-harness FILE N ROUNDS\n");
    return 1;
  }
  int n = atoi(argv[2]);
  int rounds = atoi(argv[3]);
  double *high = column(n), *low = column(n), *close = column(n);
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(high, sizeof(double), n, f) != (size_t)n || fread(low, sizeof(double), n, f) != (size_t)n ||
      fread(close, sizeof(double), n, f) != (size_t)n) {
    fprintf(stderr, "talib-harness: cannot read %d candles from %s\n", n, argv[1]);
    return 1;
  }
  fclose(f);
  check(TA_Initialize(), "TA_Initialize");
  int last = n - 1;
  for (int r = 0; r < rounds; r++) {
    int beg, count;
    double checksum = 0;
    Stamp t;

    Stamp tSma = single(TA_SMA, "TA_SMA", close, n, 30, &checksum);
    Stamp tEma = single(TA_EMA, "TA_EMA", close, n, 21, &checksum);
    Stamp tRsi = single(TA_RSI, "TA_RSI", close, n, 14, &checksum);

    t = now();
    double *atr = column(n);
    check(TA_ATR(0, last, high, low, close, 14, &beg, &count, atr), "TA_ATR");
    Stamp tAtr = since(t);
    checksum += total(atr, count);
    free(atr);

    t = now();
    double *macd = column(n), *signal = column(n), *hist = column(n);
    check(TA_MACD(0, last, close, 12, 26, 9, &beg, &count, macd, signal, hist), "TA_MACD");
    Stamp tMacd = since(t);
    checksum += total(macd, count) + total(signal, count) + total(hist, count);
    free(macd), free(signal), free(hist);

    t = now();
    double *upper = column(n), *middle = column(n), *lower = column(n);
    check(TA_BBANDS(0, last, close, 20, 2, 2, TA_MAType_SMA, &beg, &count, upper, middle, lower), "TA_BBANDS");
    Stamp tBb = since(t);
    checksum += total(upper, count) + total(middle, count) + total(lower, count);
    free(upper), free(middle), free(lower);

    printf("sma:30 %.4f %.4f ema:21 %.4f %.4f rsi:14 %.4f %.4f atr:14 %.4f %.4f macd:12:26:9 %.4f %.4f bb:20:2 %.4f %.4f "
           "checksum %.17g\n",
           tSma.wall, tSma.cpu, tEma.wall, tEma.cpu, tRsi.wall, tRsi.cpu, tAtr.wall, tAtr.cpu, tMacd.wall, tMacd.cpu, tBb.wall,
           tBb.cpu, checksum);
    fflush(stdout);
  }
  TA_Shutdown();
  return 0;
}
