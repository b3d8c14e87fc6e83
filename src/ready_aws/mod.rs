//! Readiness facts read from AWS (placeholder).
