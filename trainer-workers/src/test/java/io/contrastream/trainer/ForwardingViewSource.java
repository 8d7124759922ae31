package io.contrastream.trainer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** A {@link ViewSource} that forwards every call to an in-memory source; tests override the calls they observe. */
class ForwardingViewSource implements ViewSource {
    final InMemoryViewSource delegate;

    ForwardingViewSource(InMemoryViewSource delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onRebalance(Rebalance rebalance) {
        delegate.onRebalance(rebalance);
    }

    @Override
    public List<SourcedView> poll(Duration timeout) {
        return delegate.poll(timeout);
    }

    @Override
    public Set<TopicPartition> assignment() {
        return delegate.assignment();
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        delegate.pause(partitions);
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        delegate.resume(partitions);
    }

    @Override
    public Map<TopicPartition, Long> positions() {
        return delegate.positions();
    }

    @Override
    public boolean exhausted() {
        return delegate.exhausted();
    }

    @Override
    public void close() {
    }
}
