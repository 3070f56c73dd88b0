// A build's log (GET /api/v1/builds/{id}/log, with follow=true streamed live until the build ends), appended to a <pre>
// piece by piece as it arrives, keeping the view at the bottom while the reader is there. Used by /builds/{id} and by
// /images/runs/{id} for the running VM job's serial console. Resolves when the stream ends (or is aborted).
window.forgelineBuildLog = async (pre, buildId, follow, signal) => {
  'use strict';
  const response = await fetch(`/api/v1/builds/${encodeURIComponent(buildId)}/log?follow=${follow}`, { signal });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 20;
    pre.append(decoder.decode(value, { stream: true }));
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }
};
