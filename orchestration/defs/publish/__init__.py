from orchestration.defs.publish.assets import published_postgres, published_snapshot

# Register both in Definitions(assets=[...]): the file snapshot, then the optional PostgreSQL copy.
PUBLISH_ASSETS = [published_snapshot, published_postgres]
