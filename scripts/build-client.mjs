// Placeholder until the <read-counter> issue lands: bundles client/ into dist/client/.
