"""Reading reports: files to one normalised text, its structure, regions and pinyin."""
