import os
import tempfile

# The registry client keeps the last /index answer for a conditional GET (ETag):
# tests (and the CLI processes they start, which inherit this) keep it in a
# throwaway folder, never in the user's ~/.cache.
os.environ["DRIFT_CACHE_DIR"] = tempfile.mkdtemp(prefix="drift-test-cache-")
