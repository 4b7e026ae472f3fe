"""Whether the blob store holds every file the database names (part of readiness).

A database restored without its data directory still answers queries, but every attachment
and package PDF is gone; such an instance is not ready.
"""

from __future__ import annotations

import asyncio
import logging

from domain.packages.queries import pdf_blob_names
from domain.requests.files import attachment_blob_names
from domain.shared.blobs import BlobStore
from domain.shared.errors import NotReadyError

log = logging.getLogger("docket.storage")


async def missing_blobs(store: BlobStore) -> list[str]:
    """The names (SHA-256) of the files the database names that ``store`` does not hold."""
    names = sorted(await attachment_blob_names() | await pdf_blob_names())
    return await asyncio.to_thread(store.missing, names)


async def check_files_ready(store: BlobStore) -> None:
    """Succeed when the blob store holds every attachment and package PDF the database names.

    Raises:
        NotReadyError: saying how many are missing (their names go to the log, not the answer).
    """
    missing = await missing_blobs(store)
    if missing:
        log.warning("stored files missing from %s: %s", store.root, ", ".join(missing))
        raise NotReadyError(
            f"{len(missing)} stored file(s) that the database names are missing from the file"
            " store; restore the data directory from the backup"
        )
