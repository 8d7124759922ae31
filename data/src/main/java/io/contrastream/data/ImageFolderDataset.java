package io.contrastream.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A folder of PNG/JPEG images labelled by sub-folder: {@code <root>/<class>/<image>.png}. Classes are the
 * sub-folder names sorted by name (label = position); images within a class are sorted by file name, and the
 * dataset index runs class by class. The first image fixes the shape (channels, height, width); an image of
 * another shape fails {@link #get(int)} with a {@link DatasetFormatException} naming the file.
 *
 * <p>Images are decoded on {@link #get(int)} (nothing is cached); {@link #encoded(int)} returns the file's bytes
 * unchanged. The dataset name is the root folder's name and the split is {@code train}. Thread-safe for reads.
 */
public final class ImageFolderDataset implements Dataset {

    private final Path root;
    private final String name;
    private final List<String> classNames;
    private final List<Path> files;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;

    private ImageFolderDataset(Path root, List<String> classNames, List<Path> files, int[] labels, Image first) {
        this.root = root;
        this.name = root.toAbsolutePath().normalize().getFileName().toString();
        this.classNames = List.copyOf(classNames);
        this.files = List.copyOf(files);
        this.labels = labels;
        this.channels = first.channels();
        this.height = first.height();
        this.width = first.width();
    }

    /**
     * Lists {@code root}'s class folders and their {@code .png}, {@code .jpg} and {@code .jpeg} files.
     *
     * @throws DatasetMissingException when {@code root} is not a directory
     * @throws DatasetFormatException  when there are no class folders or no images, or the first image cannot be
     *                                 decoded
     */
    public static ImageFolderDataset open(Path root) {
        if (!Files.isDirectory(root)) {
            throw new DatasetMissingException(String.valueOf(root.getFileName()), List.of(root),
                    "Expected a folder with one sub-folder per class, e.g. " + root + "/cat/0001.png");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        if (classDirs.isEmpty()) {
            throw new DatasetFormatException(root, -1, "no class sub-folders; expected <root>/<class>/<image>.png");
        }
        List<String> classNames = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            int label = classNames.size();
            classNames.add(dir.getFileName().toString());
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.filter(ImageFolderDataset::isImageFile).sorted().toList()) {
                    files.add(f);
                    labels.add(label);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        if (files.isEmpty()) {
            throw new DatasetFormatException(root, -1, "no .png/.jpg/.jpeg files in the class folders " + classNames);
        }
        Image first = decodeFile(files.get(0), 0);
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageFolderDataset(root, classNames, files, labelArray, first);
    }

    private static boolean isImageFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    private static Image decodeFile(Path file, int index) {
        try {
            return ImageCodec.decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new DatasetFormatException(file.toString(), index, "cannot read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException(file.toString(), index, e.getMessage(), e);
        }
    }

    /** The root folder. */
    public Path root() {
        return root;
    }

    /** File of example {@code i}. */
    public Path file(int i) {
        return files.get(i);
    }

    /** The undecoded bytes of example {@code i}'s file. */
    public byte[] encoded(int i) {
        try {
            return Files.readAllBytes(files.get(i));
        } catch (IOException e) {
            throw new DatasetFormatException(files.get(i).toString(), i, "cannot read: " + e.getMessage(), e);
        }
    }

    /** {@code image/png} or {@code image/jpeg}, from the file name of example {@code i}. */
    public String mediaType(int i) {
        return files.get(i).getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")
                ? "image/png" : "image/jpeg";
    }

    @Override public String name() { return name; }
    @Override public String split() { return "train"; }
    @Override public int size() { return files.size(); }
    @Override public List<String> classNames() { return classNames; }
    @Override public int channels() { return channels; }
    @Override public int height() { return height; }
    @Override public int width() { return width; }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public Example get(int i) {
        Image image = decodeFile(files.get(i), i);
        if (image.channels() != channels || image.height() != height || image.width() != width) {
            throw new DatasetFormatException(files.get(i).toString(), i, "image is " + image.channels() + "x"
                    + image.height() + "x" + image.width() + " but the folder's first image "
                    + files.get(0).getFileName() + " is " + channels + "x" + height + "x" + width
                    + "; resize the images to one size");
        }
        return new Example(i, sampleId(i), labels[i], image);
    }
}
