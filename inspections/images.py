"""Photo and signature checks are shared (ward_police/images.py: violation records take drawn
signatures too) and re-exported here for the inspection code that uses them."""

from ward_police.images import (  # noqa: F401 - the inspections app's photo API
    EXTENSIONS,
    MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS,
    SIGNATURE_PREFIX,
    STORED_MAX_SIDE,
    THUMB_SIDE,
    ProcessedImage,
    open_checked,
    process_photo,
    process_signature,
)
