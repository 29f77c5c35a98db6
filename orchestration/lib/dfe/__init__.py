"""The published DfE validators (csc-validator-be-903 / -cin) on the statutory return files.

They pin pandas < 2 and numpy < 1.25, so they never share the warehouse's environment: ``venv.py``
builds their own (on first use, from ``dfe_requirements.txt``), ``runner.py`` runs in it as a
subprocess and writes NDJSON, and ``findings.py`` reads that into ``quality.dfe_findings`` and
``quality.dfe_validator_runs`` (children pseudonymised) and renders the report's section.
Off by default (``CSCW_DFE_VALIDATORS``); see docs/dfe_validators.md.
"""
