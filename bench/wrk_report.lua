-- wrk prints its summary for people; the benchmark needs the figures as data.
-- done() runs once after the load and writes one line, tagged so that the
-- caller finds it among wrk's own output. Latencies are in microseconds in wrk,
-- written here in milliseconds.

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_s": %.3f, "rps": %.2f, "bytes": %d, '
      .. '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "mean_ms": %.3f, "max_ms": %.3f, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests,
    summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6),
    summary.bytes,
    latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3,
    latency.mean / 1e3,
    latency.max / 1e3,
    errors.connect,
    errors.read,
    errors.write,
    errors.status,
    errors.timeout
  ))
end
