"""The credit stage as DuckDB SQL, for Scripts/bench.sh.

Usage: python bench_duckdb.py DATA_DIR OUT_CSV  (prints the wall seconds)

The same rule as SampleData/policy.yaml for 440300 (the only region the city
generator writes): in service, base x (2% + 0.8% under 45, 1.5% from 45),
rounded half-up to the fen per row; retired, 90 yuan under 70, 100 from 70.
Age in completed years on the first day of the month, from the ID's birth date.
"""
import sys
import time

import duckdb

data, out = sys.argv[1], sys.argv[2]
start = time.perf_counter()
con = duckdb.connect()
rows = con.execute(f"""
WITH p AS (
  SELECT person_id, scheme FROM read_csv('{data}/persons.csv', header = true,
    columns = {{'person_id': 'VARCHAR', 'name': 'VARCHAR', 'region_code': 'VARCHAR', 'scheme': 'VARCHAR', 'tier': 'VARCHAR'}})
), c AS (
  SELECT * FROM read_csv('{data}/contributions/*.csv', header = true,
    columns = {{'person_id': 'VARCHAR', 'month': 'VARCHAR', 'region_code': 'VARCHAR', 'status': 'VARCHAR',
               'base': 'DECIMAL(18,2)', 'employer_id': 'VARCHAR'}})
), a AS (
  SELECT c.region_code, c.month, c.status, c.base,
         CAST(substr(c.month, 1, 4) AS INTEGER) - CAST(substr(c.person_id, 7, 4) AS INTEGER)
           - CASE WHEN CAST(substr(c.month, 6, 2) AS INTEGER) * 100 + 1 < CAST(substr(c.person_id, 11, 4) AS INTEGER)
                  THEN 1 ELSE 0 END AS age
  FROM c JOIN p USING (person_id) WHERE p.scheme = 'employee'
)
SELECT region_code, month,
       CASE WHEN status = 'retired' THEN CASE WHEN age >= 70 THEN 'retired 70+' ELSE 'retired 0-69' END
            ELSE CASE WHEN age >= 45 THEN 'in_service 45+' ELSE 'in_service 0-44' END END AS band,
       count(*) AS persons,
       sum(coalesce(base, 0)) AS base_total,
       sum(CASE WHEN status = 'retired' THEN CASE WHEN age >= 70 THEN 100.00 ELSE 90.00 END
                ELSE round(base * CASE WHEN age >= 45 THEN 0.035 ELSE 0.028 END, 2) END) AS credit_total
FROM a GROUP BY ALL ORDER BY ALL
""").fetchall()
elapsed = time.perf_counter() - start
with open(out, "w", encoding="utf-8") as f:
    f.write("region_code,month,band,persons,base_total,credit_total\n")
    for region, month, band, persons, base, credit in rows:
        f.write(f"{region},{month},{band},{persons},{base:.2f},{credit:.2f}\n")
print(f"{elapsed:.3f}")
