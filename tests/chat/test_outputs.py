"""Files a chat function returns (backend/chat/outputs.py): allowed paths, downloads, encoding."""

from __future__ import annotations

import http.server
import io
import socket
import threading
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image as PILImage

from backend.chat.outputs import OutputError, Outputs
from backend.files.store import FileStore, StoredFile

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class Place:
    root: Path
    store: FileStore
    outputs: Outputs


@pytest.fixture(name="place")
def _place(tmp_path: Path) -> Place:
    root = tmp_path / "root"
    root.mkdir()
    store = FileStore(tmp_path / "store", retention=3600)
    return Place(root, store, Outputs(store, [root], max_download=1000))


def stored_ids(store: FileStore) -> set[str]:
    if not store.root.exists():
        return set()
    return {path.stem for path in store.root.glob("*.json")}


def decode_png(stored: StoredFile) -> PILImage.Image:
    data = stored.path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    image = PILImage.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    return image


# -- local paths --


def test_a_file_inside_a_root_is_copied_in(place: Place) -> None:
    source = place.root / "sub" / "report.txt"
    source.parent.mkdir()
    source.write_text("quarterly numbers")
    assert place.outputs.allowed(source.resolve())
    stored = place.outputs.local(source)
    assert stored.name == "report.txt"
    assert stored.path.read_text() == "quarterly numbers"
    assert stored.path.parent == place.store.root / stored.id
    assert place.store.get(stored.id) == stored


def test_relative_paths_resolve_against_the_working_directory(
    place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    (place.root / "a.txt").write_text("relative")
    monkeypatch.chdir(place.root)
    assert place.outputs.source("a.txt").path.read_text() == "relative"
    assert place.outputs.source("./sub/../a.txt").path.read_text() == "relative"


@pytest.mark.parametrize("path", ["/etc/passwd", "/etc/hostname", "/proc/self/environ", "/"])
def test_system_files_are_refused(place: Place, path: str) -> None:
    assert not place.outputs.allowed(Path(path).resolve())
    with pytest.raises(OutputError, match="outside the directories"):
        place.outputs.local(Path(path))
    with pytest.raises(OutputError):
        place.outputs.source(path)
    assert stored_ids(place.store) == set()


def test_pathlib_paths_outside_are_refused(place: Place) -> None:
    with pytest.raises(OutputError):
        place.outputs.source(Path("/etc/passwd"))
    with pytest.raises(OutputError):
        place.outputs.source({"path": "/etc/passwd"})


def test_a_sibling_folder_with_the_same_prefix_is_outside(place: Place) -> None:
    sibling = place.root.parent / "root_evil"
    sibling.mkdir()
    (sibling / "x").write_text("not yours")
    sneaky = place.root / ".." / "root_evil" / "x"
    assert not place.outputs.allowed(sneaky.resolve())
    with pytest.raises(OutputError, match="outside"):
        place.outputs.local(sneaky)
    with pytest.raises(OutputError):
        place.outputs.source(str(sneaky))


def test_traversal_out_of_a_root_is_refused(place: Place) -> None:
    outside = place.root.parent / "outside.txt"
    outside.write_text("x")
    with pytest.raises(OutputError):
        place.outputs.source(str(place.root / "sub" / ".." / ".." / "outside.txt"))


def test_the_root_itself_is_not_a_file(place: Place) -> None:
    assert not place.outputs.allowed(place.root.resolve())
    with pytest.raises(OutputError):
        place.outputs.local(place.root)


def test_a_symlink_out_of_the_root_is_refused(place: Place) -> None:
    (place.root / "innocent.txt").symlink_to("/etc/passwd")
    (place.root / "etc").symlink_to("/etc")
    with pytest.raises(OutputError, match="outside"):
        place.outputs.local(place.root / "innocent.txt")
    with pytest.raises(OutputError, match="outside"):
        place.outputs.local(place.root / "etc" / "passwd")
    assert stored_ids(place.store) == set()


def test_a_symlink_within_the_root_is_followed(place: Place) -> None:
    (place.root / "real.txt").write_text("real")
    (place.root / "link.txt").symlink_to(place.root / "real.txt")
    stored = place.outputs.local(place.root / "link.txt")
    assert stored.path.read_text() == "real"
    assert not stored.path.is_symlink()


def test_a_symlink_to_a_hidden_file_is_refused(place: Place) -> None:
    (place.root / ".env").write_text("API_KEY=secret")
    (place.root / "config.txt").symlink_to(place.root / ".env")
    with pytest.raises(OutputError, match="hidden"):
        place.outputs.local(place.root / "config.txt")


@pytest.mark.parametrize(
    "relative", [".env", ".git/config", "sub/.secrets/token.txt", ".ssh/id_rsa"]
)
def test_hidden_files_and_folders_are_refused(place: Place, relative: str) -> None:
    path = place.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("secret")
    assert not place.outputs.allowed(path.resolve())
    with pytest.raises(OutputError, match="hidden"):
        place.outputs.local(path)
    assert stored_ids(place.store) == set()


def test_a_name_with_dots_inside_is_not_hidden(place: Place) -> None:
    path = place.root / "v1.2" / "report.final.txt"
    path.parent.mkdir()
    path.write_text("ok")
    assert place.outputs.local(path).name == "report.final.txt"


def test_every_root_is_allowed(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for root in (first, second):
        root.mkdir()
        (root / "f.txt").write_text(root.name)
    outputs = Outputs(FileStore(tmp_path / "store", 60), [first, second], 1000)
    assert outputs.local(first / "f.txt").path.read_text() == "first"
    assert outputs.local(second / "f.txt").path.read_text() == "second"
    with pytest.raises(OutputError):
        outputs.local(tmp_path / "third" / "f.txt")


def test_an_explicit_root_inside_a_hidden_folder_of_another_root(tmp_path: Path) -> None:
    project = tmp_path / "project"
    generated = project / ".cache" / "out"
    generated.mkdir(parents=True)
    (generated / "chart.png").write_bytes(PNG_SIGNATURE)
    outputs = Outputs(FileStore(tmp_path / "store", 60), [project, generated], 1000)
    assert outputs.local(generated / "chart.png").mime == "image/png"


def test_a_stored_file_keeps_its_id(place: Place) -> None:
    upload = place.store.add_bytes(b"uploaded by the visitor", "notes.txt")
    before = stored_ids(place.store)
    assert place.outputs.local(upload.path) == upload
    assert place.outputs.source(str(upload.path)) == upload
    assert place.outputs.source({"path": str(upload.path)}) == upload
    assert stored_ids(place.store) == before


def test_a_file_stored_in_another_root_keeps_its_id(tmp_path: Path) -> None:
    # The store is allowed even when it is not among the roots given.
    store = FileStore(tmp_path / "elsewhere" / "store", 60)
    outputs = Outputs(store, [tmp_path / "root"], 1000)
    upload = store.add_bytes(b"x", "a.txt")
    assert outputs.local(upload.path) == upload


def test_an_expired_stored_file_is_not_returned(place: Place) -> None:
    upload = place.store.add_bytes(b"x", "a.txt")
    expired = FileStore(place.store.root, retention=-1)
    outputs = Outputs(expired, [place.root], 1000)
    with pytest.raises(OutputError):
        outputs.local(upload.path)


def test_a_missing_file_is_an_output_error(place: Place) -> None:
    with pytest.raises(OutputError, match="no such file"):
        place.outputs.local(place.root / "missing.png")
    with pytest.raises(OutputError, match="no such file"):
        place.outputs.source(str(place.root / "missing.png"))


def test_a_folder_is_not_a_file(place: Place) -> None:
    (place.root / "folder").mkdir()
    with pytest.raises(OutputError, match="no such file"):
        place.outputs.local(place.root / "folder")


def test_sources_of_other_kinds(place: Place) -> None:
    (place.root / "tmp123").write_text("hello")
    named = place.outputs.source({"path": str(place.root / "tmp123"), "orig_name": "nice.txt"})
    assert named.name == "nice.txt"
    from_bytes = place.outputs.source(b"%PDF-1.7 ...", "report")
    assert (from_bytes.name, from_bytes.mime) == ("report.pdf", "application/pdf")
    assert place.outputs.source(bytearray(b"abc")).path.read_bytes() == b"abc"
    for value in (42, None, object(), ["a"], {"path": 5}):
        with pytest.raises(OutputError, match="expected a file path"):
            place.outputs.source(value)


def test_default_roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    roots = Outputs.default_roots(tmp_path / "app", ["/srv/data"])
    assert tmp_path in roots
    assert tmp_path / "app" in roots
    assert Path("/srv/data") in roots
    assert len(roots) == 4


# -- downloads --


@dataclass
class Site:
    url: str
    hits: dict[str, int] = field(default_factory=dict)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: dict[str, int]

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        if self.path == "/missing":
            self.send_error(404)
            return
        if self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/cut-chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"5\r\nhello\r\n")
            self.close_connection = True
            return
        if self.path == "/cut":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"only 20 bytes here..")
            self.close_connection = True
            return
        size = {"/small.png": 500, "/exact.bin": 1000, "/big.bin": 1001, "/huge.bin": 10**6}
        if self.path.startswith("/voice"):
            body = b"\x1a\x45\xdf\xa3" + b"\x00" * 40
            kind = "audio/webm"
        elif self.path in size:
            body = PNG_SIGNATURE + b"\x00" * (size[self.path] - len(PNG_SIGNATURE))
            kind = "image/png"
        else:
            body = b"hello from " + self.path.encode()
            kind = "text/plain"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The download stops reading past its size limit and hangs up (/huge.bin, on
            # purpose): whether this write still fits in the socket's buffers is luck, and
            # socketserver would print the error as "Exception occurred during processing".
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(name="site")
def _site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    for proxy in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    hits: dict[str, int] = {}
    handler = type("CountingHandler", (Handler,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_address[1]}", hits)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_download_stores_the_bytes(place: Place, site: Site) -> None:
    stored = place.outputs.download(site.url + "/notes.txt")
    assert stored.path.read_bytes() == b"hello from /notes.txt"
    assert (stored.name, stored.mime) == ("notes.txt", "text/plain")
    assert place.store.get(stored.id) == stored
    assert place.outputs.source(site.url + "/small.png").mime == "image/png"


def test_download_names(place: Place, site: Site) -> None:
    assert place.outputs.download(site.url + "/").name == "download.txt"
    assert place.outputs.download(site.url + "/small.png", "chart").name == "chart.png"
    assert place.outputs.download(site.url + "/a%20b.txt?x=1").name == "a b.txt"
    sneaky = place.outputs.download(site.url + "/..%2F..%2Fetc%2Fpasswd")
    assert "/" not in sneaky.name
    assert sneaky.path.parent == place.store.root / sneaky.id


def test_download_uses_the_served_type_for_webm(place: Place, site: Site) -> None:
    assert place.outputs.download(site.url + "/voice.webm").kind == "audio"


def test_a_repeated_url_is_downloaded_once(place: Place, site: Site) -> None:
    first = place.outputs.download(site.url + "/small.png")
    assert place.outputs.download(site.url + "/small.png") == first
    assert place.outputs.source(site.url + "/small.png") == first
    assert site.hits["/small.png"] == 1
    other = place.outputs.download(site.url + "/small.png?v=2")
    assert other.id != first.id


def test_download_up_to_the_limit(place: Place, site: Site) -> None:
    assert place.outputs.download(site.url + "/exact.bin").size == 1000


@pytest.mark.parametrize("path", ["/big.bin", "/huge.bin"])
def test_a_download_over_the_limit_is_refused(place: Place, site: Site, path: str) -> None:
    with pytest.raises(OutputError, match="larger than max_file_size"):
        place.outputs.download(site.url + path)
    assert stored_ids(place.store) == set()


def test_an_http_error_is_an_output_error(place: Place, site: Site) -> None:
    with pytest.raises(OutputError, match="cannot download"):
        place.outputs.download(site.url + "/missing")


def test_an_unreachable_url_is_an_output_error(place: Place) -> None:
    with pytest.raises(OutputError, match="cannot download"):
        place.outputs.download(f"http://127.0.0.1:{closed_port()}/x.png")
    assert stored_ids(place.store) == set()


def test_a_redirect_to_a_local_file_is_not_followed(place: Place, site: Site) -> None:
    with pytest.raises(OutputError):
        place.outputs.download(site.url + "/to-file")
    assert stored_ids(place.store) == set()


def test_a_cut_chunked_download_is_an_output_error(place: Place, site: Site) -> None:
    # http.client raises IncompleteRead, which is not an OSError.
    with pytest.raises(OutputError, match="cannot download"):
        place.outputs.download(site.url + "/cut-chunked")
    assert stored_ids(place.store) == set()


def test_a_download_shorter_than_its_content_length_is_refused(place: Place, site: Site) -> None:
    with pytest.raises(OutputError, match="cannot download"):
        place.outputs.download(site.url + "/cut")
    assert stored_ids(place.store) == set()


# -- images --


def test_image_from_pil(place: Place) -> None:
    picture = PILImage.new("RGB", (5, 3), (255, 0, 0))
    picture.putpixel((4, 2), (0, 0, 255))
    stored = place.outputs.image(picture)
    assert (stored.name, stored.mime, stored.kind) == ("image.png", "image/png", "image")
    decoded = decode_png(stored)
    assert decoded.size == (5, 3)
    assert decoded.convert("RGB").getpixel((0, 0)) == (255, 0, 0)
    assert decoded.convert("RGB").getpixel((4, 2)) == (0, 0, 255)


def test_image_from_a_pil_image_with_alpha(place: Place) -> None:
    picture = PILImage.new("RGBA", (2, 2), (10, 20, 30, 40))
    decoded = decode_png(place.outputs.image(picture, "overlay"))
    assert decoded.mode == "RGBA"
    assert decoded.getpixel((1, 1)) == (10, 20, 30, 40)


def test_image_from_a_uint8_rgb_array(place: Place) -> None:
    array = np.zeros((3, 4, 3), dtype=np.uint8)
    array[0, 0] = (255, 128, 0)
    array[2, 3] = (1, 2, 3)
    decoded = decode_png(place.outputs.image(array))
    assert decoded.mode == "RGB"
    assert decoded.size == (4, 3)  # width x height
    assert decoded.getpixel((0, 0)) == (255, 128, 0)
    assert decoded.getpixel((3, 2)) == (1, 2, 3)
    assert np.array_equal(np.asarray(decoded), array)


def test_image_from_an_rgba_array(place: Place) -> None:
    array = np.full((2, 3, 4), 200, dtype=np.uint8)
    array[..., 3] = 7
    decoded = decode_png(place.outputs.image(array))
    assert decoded.mode == "RGBA"
    assert np.array_equal(np.asarray(decoded), array)


def test_image_from_a_float_grey_array(place: Place) -> None:
    array = np.array([[0.0, 0.5, 1.0], [-3.0, 2.0, 0.25]], dtype=np.float64)
    decoded = decode_png(place.outputs.image(array))
    assert decoded.mode == "L"
    assert decoded.size == (3, 2)
    assert np.asarray(decoded).tolist() == [[0, 128, 255], [0, 255, 64]]


def test_image_from_a_single_channel_array(place: Place) -> None:
    array = np.arange(6, dtype=np.uint8).reshape(2, 3, 1) * 40
    decoded = decode_png(place.outputs.image(array))
    assert decoded.mode == "L"
    assert np.asarray(decoded).tolist() == [[0, 40, 80], [120, 160, 200]]


def test_image_from_a_bool_array(place: Place) -> None:
    array = np.array([[True, False], [False, True], [True, True]])
    decoded = decode_png(place.outputs.image(array))
    assert decoded.size == (2, 3)
    assert np.asarray(decoded).tolist() == [[255, 0], [0, 255], [255, 255]]


def test_image_from_a_wide_int_array_is_clipped(place: Place) -> None:
    array = np.array([[-5, 100, 300]], dtype=np.int64)
    decoded = decode_png(place.outputs.image(array))
    assert np.asarray(decoded).tolist() == [[0, 100, 255]]


def test_image_from_a_non_contiguous_array(place: Place) -> None:
    array = np.arange(24, dtype=np.uint8).reshape(4, 6)[:, ::2]
    decoded = decode_png(place.outputs.image(array))
    assert np.array_equal(np.asarray(decoded), array)


@pytest.mark.parametrize("shape", [(5,), (2, 2, 2), (2, 2, 5), (2, 2, 3, 1)])
def test_image_arrays_of_other_shapes_are_refused(place: Place, shape: tuple[int, ...]) -> None:
    with pytest.raises(OutputError, match="HxW"):
        place.outputs.image(np.zeros(shape, dtype=np.uint8))
    assert stored_ids(place.store) == set()


@pytest.mark.parametrize("shape", [(0, 0), (0, 4, 3), (5, 0, 3)])
def test_empty_image_arrays_are_refused(place: Place, shape: tuple[int, ...]) -> None:
    with pytest.raises(OutputError):
        place.outputs.image(np.zeros(shape, dtype=np.uint8))


def test_image_from_a_path_bytes_or_url(place: Place, site: Site) -> None:
    path = place.root / "cat.png"
    PILImage.new("RGB", (2, 2)).save(path)
    assert place.outputs.image(str(path)).name == "cat.png"
    assert place.outputs.image(path.read_bytes()).name == "file.png"
    assert place.outputs.image(site.url + "/small.png").mime == "image/png"
    with pytest.raises(OutputError):
        place.outputs.image("/etc/passwd")


# -- audio --


def read_wav(stored: StoredFile) -> tuple[int, int, int, bytes]:
    with wave.open(str(stored.path), "rb") as audio:
        return (
            audio.getnchannels(),
            audio.getframerate(),
            audio.getnframes(),
            audio.readframes(audio.getnframes()),
        )


def test_audio_from_a_float_array(place: Place) -> None:
    samples = np.array([0.0, 0.5, -0.5, 1.0, -1.0, 2.0], dtype=np.float32)
    stored = place.outputs.audio((16000, samples))
    assert (stored.name, stored.mime, stored.kind) == ("audio.wav", "audio/wav", "audio")
    channels, rate, frames, data = read_wav(stored)
    assert (channels, rate, frames) == (1, 16000, 6)
    assert np.frombuffer(data, "<i2").tolist() == [0, 16383, -16383, 32767, -32767, 32767]


def test_audio_from_an_int16_stereo_array(place: Place) -> None:
    samples = np.array([[1, -1], [1000, -1000], [32767, -32768]], dtype=np.int16)
    channels, rate, frames, data = read_wav(place.outputs.audio((44100, samples)))
    assert (channels, rate, frames) == (2, 44100, 3)
    assert np.frombuffer(data, "<i2").reshape(3, 2).tolist() == samples.tolist()


def test_audio_from_an_int32_array_is_scaled(place: Place) -> None:
    samples = np.array([65536, -65536 * 2], dtype=np.int32)
    channels, rate, frames, data = read_wav(place.outputs.audio((8000, samples)))
    assert (channels, frames) == (1, 2)
    assert np.frombuffer(data, "<i2").tolist() == [1, -2]


@pytest.mark.parametrize("rate", [0, -8000, 10**6])
def test_audio_with_a_bad_rate_is_refused(place: Place, rate: int) -> None:
    with pytest.raises(OutputError, match="rate"):
        place.outputs.audio((rate, np.zeros(10, dtype=np.float32)))


def test_audio_with_too_many_dimensions_is_refused(place: Place) -> None:
    with pytest.raises(OutputError):
        place.outputs.audio((8000, np.zeros((2, 2, 2), dtype=np.float32)))


@pytest.mark.parametrize("samples", [np.float32(0.5), np.zeros((10, 0), dtype=np.float32)])
def test_audio_of_odd_shapes_is_an_output_error(place: Place, samples: object) -> None:
    with pytest.raises(OutputError):
        place.outputs.audio((8000, samples))


def test_audio_from_a_path(place: Place) -> None:
    path = place.root / "tone.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 80)
    stored = place.outputs.audio(str(path))
    assert (stored.name, stored.mime) == ("tone.wav", "audio/wav")
    assert stored.path.read_bytes() == path.read_bytes()


# -- plots --


def test_plot_of_a_matplotlib_figure(place: Place) -> None:
    figure = Figure(figsize=(2, 1), dpi=50)
    axes = figure.add_subplot()
    axes.plot([0, 1, 2], [0, 1, 4])
    stored = place.outputs.plot(figure)
    assert (stored.name, stored.mime, stored.kind) == ("plot.png", "image/png", "image")
    decoded = decode_png(stored)
    width, height = decoded.size
    # 100 x 50 pixels, give or take what bbox_inches="tight" trims or adds
    assert 50 <= width <= 150
    assert 25 <= height <= 75
    colors = decoded.convert("RGB").getcolors(maxcolors=100_000)
    assert colors is not None
    assert len(colors) > 2  # something was drawn


@pytest.mark.parametrize("value", [object(), "plot.png", {"data": []}, 42])
def test_plot_of_anything_else_is_refused(place: Place, value: object) -> None:
    with pytest.raises(OutputError, match="matplotlib") as caught:
        place.outputs.plot(value)
    assert type(value).__name__ in str(caught.value)
    assert stored_ids(place.store) == set()


def test_blocked_paths_win_over_an_allowed_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "private").mkdir(parents=True)
    (root / "public.txt").write_text("ok")
    (root / "private" / "key.txt").write_text("secret")
    (root / "notes.txt").write_text("blocked file")
    store = FileStore(tmp_path / "store", retention=3600)
    outputs = Outputs(
        store, [root], max_download=1000, blocked=[root / "private", root / "notes.txt"]
    )
    assert outputs.local(root / "public.txt").path.read_text() == "ok"
    for path in (root / "private" / "key.txt", root / "notes.txt"):
        with pytest.raises(OutputError, match="blocked"):
            outputs.local(path)
