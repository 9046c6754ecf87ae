pytest_plugins = ["tests.integration.telemetry_servers", "tests.integration.project"]
