"""The live side: sign real HTTP requests with the pure signer, and talk to an Alteryx Gallery.

Importing this package imports requests (not httpx: that counterpart is
:mod:`oauth_debug.live.httpx_auth`).
"""

from __future__ import annotations

from .auth import OAuth1Auth
from .errors import (
    ConnectionFailed,
    DownloadFailed,
    GalleryAuthError,
    JobWaitTimeout,
    LiveError,
    ServerError,
    SubmissionUncertain,
    TokenError,
    UnexpectedAnswer,
)
from .gallery import GalleryClient
from .response import ServerResponse
from .results import Job, JobMessage, JobOutput, Question, QuestionItem, Workflow
from .retry import Backoff, RetryPolicy
from .skew import ClockSkew

__all__ = [
    "Backoff",
    "ClockSkew",
    "ConnectionFailed",
    "DownloadFailed",
    "GalleryAuthError",
    "GalleryClient",
    "Job",
    "JobMessage",
    "JobOutput",
    "JobWaitTimeout",
    "LiveError",
    "OAuth1Auth",
    "Question",
    "QuestionItem",
    "RetryPolicy",
    "ServerError",
    "ServerResponse",
    "SubmissionUncertain",
    "TokenError",
    "UnexpectedAnswer",
    "Workflow",
]
