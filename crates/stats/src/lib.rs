//! oncomark-stats: see the crate description; modules arrive with their issue.
