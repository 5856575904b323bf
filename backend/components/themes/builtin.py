"""Gradio 6.31's built-in themes: ``Base`` with other default hues, sizes and fonts."""

from __future__ import annotations

from typing import ClassVar

from .base import Base


class Default(Base):
    name: ClassVar[str] = "default"
    defaults = ("orange", "blue", "zinc", "text_md", "spacing_md", "radius_md")
    default_font = ("Source Sans Pro", "ui-sans-serif", "system-ui", "sans-serif")


class Soft(Base):
    name: ClassVar[str] = "soft"
    defaults = ("indigo", "indigo", "gray", "text_md", "spacing_md", "radius_md")
    default_font = ("Montserrat", "ui-sans-serif", "system-ui", "sans-serif")


class Monochrome(Base):
    name: ClassVar[str] = "monochrome"
    defaults = ("neutral", "neutral", "neutral", "text_md", "spacing_lg", "radius_none")
    default_font = ("Lora", "ui-sans-serif", "system-ui", "sans-serif")


class Glass(Base):
    name: ClassVar[str] = "glass"
    defaults = ("blue", "slate", "slate", "text_sm", "spacing_sm", "radius_sm")
    default_font = ("Optima", "Candara", "Noto Sans", "source-sans-pro", "sans-serif")


class Ocean(Base):
    name: ClassVar[str] = "ocean"
    defaults = ("emerald", "sky", "zinc", "text_md", "spacing_md", "radius_xxl")


class Origin(Base):
    name: ClassVar[str] = "origin"
    defaults = ("orange", "blue", "gray", "text_md", "spacing_md", "radius_md")
    default_font = ("Source Sans Pro", "ui-sans-serif", "system-ui", "sans-serif")


class Citrus(Base):
    name: ClassVar[str] = "citrus"
    defaults = ("amber", "amber", "stone", "text_md", "spacing_lg", "radius_md")
    default_font = ("Ubuntu", "ui-sans-serif", "system-ui", "sans-serif")


class Cyberpunk(Base):
    name: ClassVar[str] = "cyberpunk"
    defaults = ("fuchsia", "cyan", "slate", "text_md", "spacing_md", "radius_sm")


class Ember(Base):
    name: ClassVar[str] = "ember"
    defaults = ("orange", "orange", "stone", "text_md", "spacing_md", "radius_lg")


class Mario(Base):
    name: ClassVar[str] = "mario"
    defaults = ("orange", "green", "stone", "text_md", "spacing_md", "radius_sm")


class Neon(Base):
    name: ClassVar[str] = "neon"
    defaults = ("lime", "cyan", "neutral", "text_md", "spacing_lg", "radius_xxl")


#: Every built-in theme class by its name (``theme="soft"``).
BUILT_IN: dict[str, type[Base]] = {
    theme.name: theme
    for theme in (
        Base, Default, Soft, Monochrome, Glass, Ocean, Origin, Citrus, Cyberpunk, Ember, Mario,
        Neon,
    )
}  # fmt: skip
