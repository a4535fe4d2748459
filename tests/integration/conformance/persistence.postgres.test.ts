import { useBackend } from "../../helpers/backend";
import "../store/persistence.test";

// The store suite tests/integration/store/persistence.test.ts run against PostgreSQL: the same tests,
// not a copy, on a new database of a PostgreSQL server of this file's own. On its own the suite
// runs on SQLite (or on the backend that IMFED_TEST_BACKEND names).
useBackend("postgres");
