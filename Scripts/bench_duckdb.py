"""The credit stage as DuckDB SQL, for Scripts/bench.sh.

Usage: python bench_duckdb.py DATA_DIR OUT_CSV [CREDITS_CSV]  (prints the wall seconds)

With CREDITS_CSV it also writes every roster row's credit there (person_id,
month, band, credit): the same credits gongji computes and writes, so that
the whole `gongji run` has a DuckDB figure to stand beside (issue 21).

The same rule as SampleData/policy.yaml for 440300 (the only region the city
generator writes): in service, base x (2% + 0.8% under 45, 1.5% from 45),
rounded half-up to the fen per row; retired, 90 yuan under 70, 100 from 70.
Age in completed years on the first day of the month, from the ID's birth date.
"""
import sys
import time

import duckdb

data, out = sys.argv[1], sys.argv[2]
credits_csv = sys.argv[3] if len(sys.argv) > 3 else None
start = time.perf_counter()
con = duckdb.connect()
# Every employee-scheme roster row with its band and credit.
credits = f"""
WITH p AS (
  SELECT person_id, scheme FROM read_csv('{data}/persons.csv', header = true,
    columns = {{'person_id': 'VARCHAR', 'name': 'VARCHAR', 'region_code': 'VARCHAR', 'scheme': 'VARCHAR', 'tier': 'VARCHAR'}})
), c AS (
  SELECT * FROM read_csv('{data}/contributions/*.csv', header = true,
    columns = {{'person_id': 'VARCHAR', 'month': 'VARCHAR', 'region_code': 'VARCHAR', 'status': 'VARCHAR',
               'base': 'DECIMAL(18,2)', 'employer_id': 'VARCHAR'}})
), a AS (
  SELECT c.person_id, c.region_code, c.month, c.status, c.base,
         CAST(substr(c.month, 1, 4) AS INTEGER) - CAST(substr(c.person_id, 7, 4) AS INTEGER)
           - CASE WHEN CAST(substr(c.month, 6, 2) AS INTEGER) * 100 + 1 < CAST(substr(c.person_id, 11, 4) AS INTEGER)
                  THEN 1 ELSE 0 END AS age
  FROM c JOIN p USING (person_id) WHERE p.scheme = 'employee'
)
SELECT person_id, region_code, month,
       CASE WHEN status = 'retired' THEN CASE WHEN age >= 70 THEN 'retired 70+' ELSE 'retired 0-69' END
            ELSE CASE WHEN age >= 45 THEN 'in_service 45+' ELSE 'in_service 0-44' END END AS band,
       coalesce(base, 0) AS base,
       CASE WHEN status = 'retired' THEN CASE WHEN age >= 70 THEN 100.00 ELSE 90.00 END
            ELSE round(base * CASE WHEN age >= 45 THEN 0.035 ELSE 0.028 END, 2) END AS credit
FROM a
"""
totals = """
SELECT region_code, month, band, count(*) AS persons, sum(base) AS base_total, sum(credit) AS credit_total
FROM {} GROUP BY ALL ORDER BY ALL
"""
if credits_csv:
    # The credits kept once, written out, then totalled, as gongji's run writes them and its totals.
    con.execute(f"CREATE TEMP TABLE credit AS {credits}")
    con.execute(f"COPY (SELECT person_id, month, band, credit FROM credit) TO '{credits_csv}' (HEADER)")
    rows = con.execute(totals.format("credit")).fetchall()
else:
    rows = con.execute(totals.format(f"({credits})")).fetchall()
elapsed = time.perf_counter() - start
with open(out, "w", encoding="utf-8") as f:
    f.write("region_code,month,band,persons,base_total,credit_total\n")
    for region, month, band, persons, base, credit in rows:
        f.write(f"{region},{month},{band},{persons},{base:.2f},{credit:.2f}\n")
print(f"{elapsed:.3f}")
