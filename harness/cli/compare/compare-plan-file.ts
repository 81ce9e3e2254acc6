// plan.json is the comparison stage's record (reports read it too); the CLI writes it from here
export * from '../../compare/compare-plan-file.ts';
