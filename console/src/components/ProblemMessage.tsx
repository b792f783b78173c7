// A refusal or failure, announced to screen readers as it appears.
export function ProblemMessage({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  const text =
    error instanceof Error ? error.message : typeof error === 'string' ? error : 'something failed';
  return (
    <p role="alert" class="problem">
      {text}
    </p>
  );
}
