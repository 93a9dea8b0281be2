#!/bin/sh
# Writes three LARGE SYNTHETIC histories (no real team's data) for measuring
# `podsim fit`'s memory and time on big exports (docs/CALIBRATION.md,
# "Large files are streamed"): wide.csv (Jira CSV, ~600-byte rows, 400 000
# items, 240 MB), narrow.csv (Jira CSV, 2 600 000 short rows, 198 MB) and
# tasks.json (Label Studio export, 300 000 tasks, 248 MB). Times spent are
# lognormal-ish (median about 3.4 h), 60 assignees, dates over a year.
# Usage: sh scenarios/history/make-large.sh OUT_DIR   (needs GNU awk for strftime)
set -e
out=${1:?usage: make-large.sh OUT_DIR}
mkdir -p "$out"
pad="Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua"
awk -v rows=400000 -v pad="$pad" 'BEGIN {
  srand(7); print "Issue key,Issue Type,Summary,Status,Created,Resolved,Assignee,Time Spent,Reopen count,Comment,Comment";
  for (i = 1; i <= rows; i++) {
    d = 1 + int((i - 1) * 360 / rows); h = 1 + int(rand() * 8);
    secs = int(3600 * exp(log(3.4) + 0.55 * (rand() + rand() + rand() - 1.5) * 2));
    printf "ANN-%d,annotation,\"Label item %d: %s\",Done,%s,%s,annotator-%03d,%d,%d,\"%s. %s\",\"%s\"\n", i, i, pad,
      strftime("%Y-%m-%d %H:%M", 1700000000 + d * 86400, 1), strftime("%Y-%m-%d %H:%M", 1700000000 + d * 86400 + 86400 * h, 1),
      i % 60, secs, (rand() < 0.05), pad, pad, pad
  } }' > "$out/wide.csv"
awk -v rows=2600000 'BEGIN {
  srand(7); print "Issue key,Issue Type,Created,Resolved,Assignee,Time Spent";
  for (i = 1; i <= rows; i++) {
    d = 1 + int((i - 1) * 360 / rows); h = 1 + int(rand() * 8);
    secs = int(3600 * exp(log(3.4) + 0.55 * (rand() + rand() + rand() - 1.5) * 2));
    printf "ANN-%d,annotation,%s,%s,annotator-%03d,%d\n", i,
      strftime("%Y-%m-%d %H:%M", 1700000000 + d * 86400, 1), strftime("%Y-%m-%d %H:%M", 1700000000 + d * 86400 + 86400 * h, 1), i % 60, secs
  } }' > "$out/narrow.csv"
awk -v rows=300000 -v pad="$pad" 'BEGIN {
  srand(7); print "[";
  for (i = 1; i <= rows; i++) {
    d = 1 + int((i - 1) * 360 / rows); h = 1 + int(rand() * 8);
    secs = 3600 * exp(log(3.4) + 0.55 * (rand() + rand() + rand() - 1.5) * 2);
    printf "  {\"id\": %d, \"data\": {\"text\": \"%s %s %s\"}, \"created_at\": \"%s\", \"annotations\": [{\"lead_time\": %.1f, \"created_at\": \"%s\", \"completed_by\": %d, \"was_cancelled\": false, \"result\": [{\"value\": {\"start\": 0, \"end\": 40, \"text\": \"%s\", \"labels\": [\"PER\"]}, \"from_name\": \"label\", \"to_name\": \"text\", \"type\": \"labels\"}]}]}%s\n",
      i, pad, pad, pad, strftime("%Y-%m-%dT%H:%M:%SZ", 1700000000 + d * 86400, 1), secs, strftime("%Y-%m-%dT%H:%M:%SZ", 1700000000 + d * 86400 + 86400 * h, 1), i % 60, pad, (i < rows ? "," : "")
  }
  print "]" }' > "$out/tasks.json"
# Then, with a release build:
#   /usr/bin/time -v target/release/podsim fit OUT_DIR/wide.csv --format jira-csv --report OUT_DIR/rep --no-charts --quiet --resamples 20 > /dev/null
